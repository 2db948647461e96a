/**
 * The patch step of kube-apiserver's PATCH handler: which patch types a resource accepts, and how
 * each one is applied to the current object and its failure turned into a Status. Server-side
 * apply (`application/apply-patch+yaml`) is accepted as a type but not modelled here.
 * Upstream: apimachinery pkg/types/patch.go (PatchType); apiserver pkg/endpoints/installer.go and
 * apiextensions-apiserver pkg/apiserver/customresource_handler.go (supportedTypes),
 * apiserver pkg/endpoints/handlers/patch.go (PatchResource, jsonPatcher.applyJSPatch,
 * strategicPatchObject, applyPatchToObject).
 */
import { UsageError, type StatusError } from '../core/errors';
import { newBadRequest, newGenericServerResponse, newRequestEntityTooLargeError, newUnsupportedMediaTypeError } from './errors';
import { isJSONObject } from './go';
import { ErrBadJSONPatch, applyJSONPatch, decodePatch, maxJSONPatchOperations, mergePatch, type JsonValue } from './jsonpatch';
import { interpretStrategicMergePatchError, patchMetaForKind, strategicMergePatch } from './strategicpatch';

/** Upstream: apimachinery pkg/types/patch.go */
export const JSONPatchType = 'application/json-patch+json';
export const MergePatchType = 'application/merge-patch+json';
export const StrategicMergePatchType = 'application/strategic-merge-patch+json';
export const ApplyYAMLPatchType = 'application/apply-patch+yaml';

/** The patch types a built-in resource accepts, in the order the 415 message lists them. Upstream: apiserver pkg/endpoints/installer.go */
export const BUILTIN_PATCH_TYPES: readonly string[] = [JSONPatchType, MergePatchType, StrategicMergePatchType, ApplyYAMLPatchType];

/** The patch types a custom resource accepts (no strategic merge patch). Upstream: customresource_handler.go (serveResource) */
export const CUSTOM_RESOURCE_PATCH_TYPES: readonly string[] = [JSONPatchType, MergePatchType, ApplyYAMLPatchType];

const jsonKind = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'object' ? 'object' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : 'string');

/**
 * Applies a patch of `patchType` (the request's Content-Type, parameters allowed) to the current
 * object as kube-apiserver does, and throws what it answers:
 * - a type the resource does not accept: 415 `the body of the request was in an unknown format -
 *   accepted media types include: ...` (`supportedTypes`: `BUILTIN_PATCH_TYPES` by default,
 *   `CUSTOM_RESOURCE_PATCH_TYPES` for custom resources);
 * - JSON patch: an undecodable patch is 400 with the decoder's text, more than 10000 operations
 *   413, an operation that does not apply 422 with the generic `the server rejected our request due
 *   to an error in our request` (the JSON patch error itself is not in the Status);
 * - merge patch: a patch that is not JSON is 400 `Invalid JSON Patch`;
 * - strategic merge patch: a patch that is not a JSON object is 400, a bad directive 400, lists of
 *   lists 422 (see `interpretStrategicMergePatchError`); the patch metadata is the kind's
 *   (`apiVersion`, `kind`).
 * Server-side apply throws a UsageError (not modelled).
 * Upstream: apiserver pkg/endpoints/handlers/patch.go (PatchResource, jsonPatcher.applyJSPatch, strategicPatchObject, applyPatchToObject)
 */
export function applyPatch(
  patchType: string,
  current: unknown,
  patch: unknown,
  opts: { apiVersion: string; kind: string; supportedTypes?: readonly string[] },
): JsonValue {
  const supported = opts.supportedTypes ?? BUILTIN_PATCH_TYPES;
  const contentType = patchType.split(';')[0].trim();
  if (!supported.includes(contentType)) throw newUnsupportedMediaTypeError(supported);
  switch (contentType) {
    case JSONPatchType: {
      let ops;
      try {
        ops = decodePatch(patch);
      } catch (e) {
        throw newBadRequest((e as Error).message);
      }
      if (ops.length > maxJSONPatchOperations) {
        throw newRequestEntityTooLargeError(`The allowed maximum operations in a JSON patch is ${maxJSONPatchOperations}, got ${ops.length}`);
      }
      try {
        return applyJSONPatch(current, ops);
      } catch (e) {
        throw newGenericServerResponse(422, '', { group: '', resource: '' }, '', (e as Error).message, 0, false);
      }
    }
    case MergePatchType:
      try {
        return mergePatch(current, patch);
      } catch (e) {
        if ((e as Error).message === ErrBadJSONPatch) throw newBadRequest(ErrBadJSONPatch);
        throw e;
      }
    case StrategicMergePatchType: {
      let p = patch;
      if (typeof p === 'string') {
        try {
          p = JSON.parse(p);
        } catch (e) {
          throw newBadRequest(`invalid character in patch: ${(e as Error).message}`);
        }
      }
      if (p !== null && !isJSONObject(p)) throw newBadRequest(`json: cannot unmarshal ${jsonKind(p)} into Go value of type map[string]interface {}`);
      try {
        return strategicMergePatch(current, p, patchMetaForKind(opts.apiVersion, opts.kind));
      } catch (e) {
        throw interpretStrategicMergePatchError(e as Error) as StatusError | Error;
      }
    }
    default:
      throw new UsageError(`applyPatch: ${contentType} (server-side apply) is not modelled`);
  }
}
