export { type RedisBusOptions, redisBus } from './bus/redis-bus';
