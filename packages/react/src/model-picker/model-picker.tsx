'use client';

import { type HTMLAttributes, useId, useState } from 'react';
import { useModels } from '../hooks/use-models';
import { ChevronDownIcon } from '../internal/icons';
import { useLabels } from '../provider/chat-provider';
import type { ChatLabels } from '../provider/labels';

export interface ModelPickerProps extends Omit<HTMLAttributes<HTMLDivElement>, 'onChange'> {
  /**
   * The selected model. Leave it out to let the picker keep the choice itself, starting from
   * the server's default model.
   */
  value?: string | null;
  onChange?: (modelId: string) => void;
  labels?: Partial<ChatLabels>;
  className?: string;
}

/**
 * The models the server offers (`GET /models`) in a native `<select>`: accessible and
 * comfortable on phones. With a single model it shows that model, disabled.
 */
export function ModelPicker({
  value,
  onChange,
  labels: labelOverrides,
  className,
  ...props
}: ModelPickerProps) {
  const labels = useLabels(labelOverrides);
  const { models, defaultModel, isLoading, error } = useModels();
  const [chosen, setChosen] = useState<string | null>(null);
  const selectId = useId();
  // Without models there is nothing to choose; sends then use the server's default.
  if (error) return null;
  const selected = value ?? chosen ?? defaultModel ?? models[0]?.id ?? '';
  // A thread can name a model the server no longer lists: keep it visible rather than
  // pretending another one is selected.
  const unlisted = selected !== '' && !models.some((model) => model.id === selected);

  return (
    <div
      {...props}
      className={['confab-model-picker', className].filter(Boolean).join(' ')}
      data-loading={isLoading ? '' : undefined}
    >
      <label htmlFor={selectId} className="confab-visually-hidden">
        {labels.model}
      </label>
      {isLoading ? (
        <>
          <span role="status" className="confab-visually-hidden">
            {labels.loadingModels}
          </span>
          <span className="confab-model-picker__skeleton" aria-hidden="true" />
        </>
      ) : (
        <span className="confab-model-picker__field">
          <select
            id={selectId}
            className="confab-model-picker__select"
            value={selected}
            disabled={models.length + (unlisted ? 1 : 0) <= 1}
            onChange={(event) => {
              setChosen(event.target.value);
              onChange?.(event.target.value);
            }}
          >
            {unlisted && <option value={selected}>{selected}</option>}
            {models.map((model) => (
              <option key={model.id} value={model.id}>
                {model.label}
              </option>
            ))}
          </select>
          <ChevronDownIcon className="confab-model-picker__chevron" />
        </span>
      )}
    </div>
  );
}
