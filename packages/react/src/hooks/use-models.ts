'use client';

import type { ConfabError, ModelInfo } from '@confab/core';
import { useQuery } from '@tanstack/react-query';
import { useChatClient } from '../provider/chat-provider';
import { chatKeys } from './query-keys';

export interface UseModelsResult {
  models: ModelInfo[];
  /** The model the server uses when a thread and a send name none. */
  defaultModel: string | null;
  isLoading: boolean;
  error: ConfabError | null;
}

/** The models the server offers (`GET /models`), fetched once and cached for five minutes. */
export function useModels(): UseModelsResult {
  const { backend } = useChatClient();
  const query = useQuery({
    queryKey: chatKeys.models(),
    queryFn: ({ signal }) => backend.listModels({ signal }),
    staleTime: 5 * 60_000,
  });
  return {
    models: query.data?.items ?? [],
    defaultModel: query.data?.defaultModel || null,
    isLoading: query.isPending,
    error: (query.error as ConfabError | null) ?? null,
  };
}
