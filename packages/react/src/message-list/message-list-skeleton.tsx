'use client';

/** Placeholder rows shaped like a conversation, shown while a thread's first messages load. */
export function MessageListSkeleton({ label }: { label: string }) {
  return (
    <div className="confab-message-list__skeleton" role="status">
      <span className="confab-visually-hidden">{label}</span>
      {skeletonRows.map((row) => (
        <div
          key={row.key}
          className="confab-message-list__skeleton-row"
          data-role={row.role}
          aria-hidden="true"
        >
          {row.lines.map((width, line) => (
            <span
              // Fixed placeholder lines: their order never changes.
              // biome-ignore lint/suspicious/noArrayIndexKey: static decoration.
              key={line}
              className="confab-message-list__skeleton-line"
              style={{ width }}
            />
          ))}
        </div>
      ))}
    </div>
  );
}

const skeletonRows = [
  { key: 'question', role: 'user', lines: ['45%'] },
  { key: 'answer', role: 'assistant', lines: ['92%', '86%', '60%'] },
  { key: 'follow-up', role: 'user', lines: ['30%'] },
  { key: 'second-answer', role: 'assistant', lines: ['88%', '70%'] },
] as const;
