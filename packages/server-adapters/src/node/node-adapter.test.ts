import { describeKeepAliveAfterEarlyAnswer } from '../testing/keep-alive-contract';
import { toNodeListener } from './node-adapter';

describeKeepAliveAfterEarlyAnswer('toNodeListener', (handler) => toNodeListener(handler));
