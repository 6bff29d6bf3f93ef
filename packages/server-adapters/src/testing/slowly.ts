/** Pieces of a scripted answer, one every few milliseconds, ending early when it is stopped. */
export async function* slowly(pieces: string[], signal: AbortSignal, delayMs = 5) {
  for (const piece of pieces) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (signal.aborted) return;
    yield piece;
  }
}
