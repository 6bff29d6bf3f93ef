/**
 * Chains a consumer's event handler before the component's own: the component's runs unless
 * the consumer's called `event.preventDefault()`.
 */
export function composeEventHandlers<Event extends { defaultPrevented: boolean }>(
  consumer: ((event: Event) => void) | undefined,
  own: (event: Event) => void,
): (event: Event) => void {
  return (event) => {
    consumer?.(event);
    if (!event.defaultPrevented) own(event);
  };
}
