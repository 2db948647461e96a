export {
  Name, ImageLocality, calculatePriority, maxContainerThreshold, minThreshold, newImageLocality, normalizedImageName, scaledImageScore, sumImageScores,
} from './image_locality';
