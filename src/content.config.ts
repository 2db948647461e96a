import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
import { labSchema } from './lab/schema';

export const collections = {
  // Lessons live in top-level content/ (Starlight's own loader only reads src/content/docs).
  docs: defineCollection({
    loader: glob({ base: './content', pattern: '**/[^_]*.{md,mdx}' }),
    schema: docsSchema(),
  }),
  // One lab per folder: labs/<id>/lab.yaml. A lab that does not match the schema fails the build.
  labs: defineCollection({
    loader: glob({ base: './labs', pattern: '*/lab.yaml', generateId: ({ entry }) => entry.split('/')[0] }),
    schema: labSchema,
  }),
};
