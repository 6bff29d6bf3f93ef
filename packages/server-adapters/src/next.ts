export {
  chatRoute,
  type FetchHandler,
  type NextChatRoute,
  type NextRouteContext,
  type NextRouteHandler,
  type NextRouteParams,
} from './next/next-adapter';
