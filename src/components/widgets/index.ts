/**
 * Lesson-facing widgets, imported by MDX from one place:
 *   import { CheckQuestion, Diagram, QueuePlayground } from '../../src/components/widgets';
 */
export { default as Diagram } from './Diagram.astro';
export { default as QueuePlayground } from './QueuePlayground.astro';
export { default as ContinueLink } from './ContinueLink.astro';
export { default as CheckQuestion } from './CheckQuestion.astro';
export { default as InformerPlayground } from './InformerPlayground.astro';
export { default as FifoPlayground } from './FifoPlayground.astro';
export { default as IndexerPlayground } from './IndexerPlayground.astro';
export { default as GoawayPlayground } from './GoawayPlayground.astro';
export { default as NameChecker } from './NameChecker.astro';
export { default as RestMapperPlayground } from './RestMapperPlayground.astro';
export { default as StatusPlayground } from './StatusPlayground.astro';
export { default as ConflictPlayground } from './ConflictPlayground.astro';
export { default as CrdPlayground } from './CrdPlayground.astro';
export { default as MvccPlayground } from './MvccPlayground.astro';
export { default as RaftPlayground } from './RaftPlayground.astro';
export { default as ScoringPlayground } from './ScoringPlayground.astro';
export { default as SlicePlayground } from './SlicePlayground.astro';
export { default as PacketPlayground } from './PacketPlayground.astro';
export { default as ProxyModesPlayground } from './ProxyModesPlayground.astro';
export { default as TriColorPlayground } from './TriColorPlayground.astro';
export { default as PacerPlayground } from './PacerPlayground.astro';
export { default as RolloutPlayground } from './RolloutPlayground.astro';
export { default as BackoffPlayground } from './BackoffPlayground.astro';
export { default as HpaPlayground } from './HpaPlayground.astro';
