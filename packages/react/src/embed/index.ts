// The script-tag build's entry (scripts/build-embed.mjs): defines <confab-chat> once, so a page
// that loads the script twice keeps the first definition.
import { ConfabChatElement } from './confab-chat-element';

if (typeof customElements !== 'undefined' && !customElements.get('confab-chat')) {
  customElements.define('confab-chat', ConfabChatElement);
}
