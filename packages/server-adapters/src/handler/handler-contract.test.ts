import { describeAdapterContract } from '../testing/adapter-contract';

describeAdapterContract('fetch handler', async (handler) => ({
  fetch: (request) => handler(request),
  close: async () => {},
}));
