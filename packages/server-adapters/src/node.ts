export {
  type FetchHandler,
  sendFetchResponse,
  toFetchRequest,
  toNodeListener,
} from './node/node-adapter';
