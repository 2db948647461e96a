export { Name, PrioritySort, newPrioritySort, podPriority } from './priority_sort';
