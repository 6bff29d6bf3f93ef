import { memoryStore } from './memory-store';
import { describeChatStore } from './store-conformance';

describeChatStore('memoryStore', async () => memoryStore());
