// What stories import to describe and control the in-browser chat server. See README.md.
export {
  CHAT_ENDPOINT,
  chatBackend,
  DEFAULT_STORY_USER,
  type RecordedRequest,
} from './backend/browser-server';
export type {
  ChatFailure,
  ChatRoute,
  ChatScenario,
  SeedMessage,
  SeedThread,
  StoryModelOptions,
} from './backend/scenario';
export { DEMO_MODEL_ID, type SeedMessagesOptions, seedMessages } from './backend/seed';
