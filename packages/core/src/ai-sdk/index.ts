export {
  type ConfabChatTransportOptions,
  confabChatTransport,
} from './confab-chat-transport';
export { type ConfabUIMessageMetadata, toUIMessages } from './to-ui-messages';
export { UIMessageEncoder } from './ui-message-encoder';
