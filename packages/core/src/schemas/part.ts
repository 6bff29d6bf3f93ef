import * as z from 'zod/mini';

export const textPartSchema = z.object({ type: z.literal('text'), text: z.string() });

export const reasoningPartSchema = z.object({ type: z.literal('reasoning'), text: z.string() });

export const filePartSchema = z.object({
  type: z.literal('file'),
  mediaType: z.string().check(z.minLength(1), z.maxLength(255)),
  url: z.string().check(z.minLength(1)),
  filename: z.optional(z.string().check(z.maxLength(1024))),
  size: z.optional(z.number().check(z.int(), z.nonnegative())),
});

export const sourcePartSchema = z.object({
  type: z.literal('source'),
  url: z.string().check(z.minLength(1)),
  title: z.optional(z.string()),
  id: z.optional(z.string()),
});

/** One ordered piece of a message's content. */
export const partSchema = z.discriminatedUnion('type', [
  textPartSchema,
  reasoningPartSchema,
  filePartSchema,
  sourcePartSchema,
]);

const knownPartTypes: ReadonlySet<string> = new Set(
  partSchema.def.options.flatMap((option) => option.shape.type.def.values),
);

/**
 * A part as a message holds it: a known part, or a part of a type this version does not know
 * (a newer server's), kept as it came so nothing is lost. Code that reads parts handles the types
 * it knows and leaves the others alone; the type says only the known ones, because a newer
 * part's shape cannot be known here.
 */
export const messagePartSchema = z.union([
  partSchema,
  z.looseObject({ type: z.string() }).check(
    z.refine((part) => !knownPartTypes.has(part.type), {
      message: 'A part of a known type with an unexpected shape.',
    }),
  ),
]) as unknown as typeof partSchema;

export type TextPart = z.infer<typeof textPartSchema>;
export type ReasoningPart = z.infer<typeof reasoningPartSchema>;
export type FilePart = z.infer<typeof filePartSchema>;
export type SourcePart = z.infer<typeof sourcePartSchema>;
export type Part = z.infer<typeof partSchema>;
