import { chatKeys } from '@confab/react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { navigate } from '../routing/router';
import { fetchSession, type Session, signIn, signOut } from './session-api';

const sessionKey = ['session'] as const;

/** The signed-in user, and the actions that change it. */
export function useSession() {
  const queryClient = useQueryClient();
  const session = useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: Infinity });
  const replaceSession = (next: Session) => {
    // Another user's threads and history must not linger in the cache.
    queryClient.removeQueries({ queryKey: chatKeys.all });
    queryClient.setQueryData(sessionKey, next);
  };
  const signInMutation = useMutation({ mutationFn: signIn, onSuccess: replaceSession });
  const signOutMutation = useMutation({
    mutationFn: signOut,
    onSuccess: (next) => {
      replaceSession(next);
      // The next person to sign in here starts from the home page, not inside this user's chat.
      navigate('/', { replace: true });
    },
  });
  return {
    user: session.data?.user ?? null,
    isLoading: session.isPending,
    loadError: session.error,
    retry: session.refetch,
    signIn: signInMutation,
    signOut: signOutMutation,
  };
}
