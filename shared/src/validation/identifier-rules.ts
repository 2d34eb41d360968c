import { hasKnownIsrcPrefix, isValidIsrc, normalizeIsrc } from '../validators/isrc.js';
import { isValidIswc } from '../validators/iswc.js';
import { isValidUpc, normalizeUpc } from '../validators/upc.js';
import { blocking, FixId, type Problem, ProblemCode, setField, warning } from './problem.js';

/** UPC/EAN: 12 or 13 digits, GTIN check digit. Empty values are the `required` rule's concern. */
export function checkUpc(path: string, upc: string): Problem[] {
  if (!upc) return [];
  if (!/^\d{12,13}$/.test(upc)) {
    const compact = normalizeUpc(upc);
    const fix = isValidUpc(compact)
      ? setField(FixId.normalizeUpc, `Write ${compact}`, path, upc, compact)
      : undefined;
    return [
      blocking(
        path,
        ProblemCode.invalidFormat,
        'UPC/EAN must be 12 digits (UPC-A) or 13 digits (EAN-13), no spaces',
        fix,
      ),
    ];
  }
  return isValidUpc(upc)
    ? []
    : [blocking(path, ProblemCode.invalidCheckDigit, 'UPC/EAN check digit is wrong; check for a typo')];
}

export function checkIsrc(path: string, isrc: string): Problem[] {
  if (!isrc) return [];
  if (!isValidIsrc(isrc)) {
    const compact = normalizeIsrc(isrc);
    const fix = isValidIsrc(compact)
      ? setField(FixId.normalizeIsrc, `Write ${compact}`, path, isrc, compact)
      : undefined;
    return [
      blocking(
        path,
        ProblemCode.invalidFormat,
        'ISRC must look like CC-XXX-YY-NNNNN (12 characters, upper case)',
        fix,
      ),
    ];
  }
  if (!hasKnownIsrcPrefix(isrc)) {
    return [
      warning(
        path,
        ProblemCode.unknownIsrcPrefix,
        `ISRC prefix "${isrc.slice(0, 2)}" is not a country or IFPI allocation`,
      ),
    ];
  }
  return [];
}

export function checkIswc(path: string, iswc: string): Problem[] {
  if (!iswc) return [];
  if (!/^T(?:\d{10}|-\d{3}\.\d{3}\.\d{3}-\d)$/.test(iswc)) {
    return [blocking(path, ProblemCode.invalidFormat, 'ISWC must look like T-DDD.DDD.DDD-C')];
  }
  return isValidIswc(iswc)
    ? []
    : [blocking(path, ProblemCode.invalidCheckDigit, 'ISWC check digit is wrong')];
}
