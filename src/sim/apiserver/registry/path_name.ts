/**
 * The name rule of every object that is part of a URL path: not `.` or `..`, and no `/` or `%`.
 * Upstream: apimachinery pkg/api/validation/path/name.go (IsValidPathSegmentName,
 * IsValidPathSegmentPrefix, ValidatePathSegmentName)
 */
import type { ValidateNameFunc } from '../../apimachinery/validation';

const NameMayNotBe = ['.', '..'];
const NameMayNotContain = ['/', '%'];

// Upstream: path/name.go (IsValidPathSegmentPrefix)
export function isValidPathSegmentPrefix(name: string): string[] {
  const errs: string[] = [];
  for (const illegal of NameMayNotContain) if (name.includes(illegal)) errs.push(`may not contain '${illegal}'`);
  return errs;
}

// Upstream: path/name.go (IsValidPathSegmentName)
export function isValidPathSegmentName(name: string): string[] {
  for (const illegal of NameMayNotBe) if (name === illegal) return [`may not be '${illegal}'`];
  return isValidPathSegmentPrefix(name);
}

// Upstream: path/name.go (ValidatePathSegmentName)
export const validatePathSegmentName: ValidateNameFunc = (name, prefix) => (prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name));
