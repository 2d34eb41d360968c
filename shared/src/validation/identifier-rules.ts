import { hasKnownIsrcPrefix, isValidIsrc } from '../validators/isrc.js';
import { isValidIswc } from '../validators/iswc.js';
import { isValidUpc } from '../validators/upc.js';
import { type Problem, ProblemCode } from './problem.js';

const error = (path: string, code: ProblemCode, message: string): Problem => ({
  path,
  severity: 'error',
  code,
  message,
});

/** UPC/EAN: 12 or 13 digits, GTIN check digit. Empty values are the `required` rule's concern. */
export function checkUpc(path: string, upc: string): Problem[] {
  if (!upc) return [];
  if (!/^\d{12,13}$/.test(upc)) {
    return [
      error(
        path,
        ProblemCode.invalidFormat,
        'UPC/EAN must be 12 digits (UPC-A) or 13 digits (EAN-13), no spaces',
      ),
    ];
  }
  return isValidUpc(upc)
    ? []
    : [error(path, ProblemCode.invalidCheckDigit, 'UPC/EAN check digit is wrong; check for a typo')];
}

export function checkIsrc(path: string, isrc: string): Problem[] {
  if (!isrc) return [];
  if (!isValidIsrc(isrc)) {
    return [
      error(
        path,
        ProblemCode.invalidFormat,
        'ISRC must look like CC-XXX-YY-NNNNN (12 characters, upper case)',
      ),
    ];
  }
  if (!hasKnownIsrcPrefix(isrc)) {
    return [
      {
        path,
        severity: 'warning',
        code: ProblemCode.unknownIsrcPrefix,
        message: `ISRC prefix "${isrc.slice(0, 2)}" is not a country or IFPI allocation`,
      },
    ];
  }
  return [];
}

export function checkIswc(path: string, iswc: string): Problem[] {
  if (!iswc) return [];
  if (!/^T(?:\d{10}|-\d{3}\.\d{3}\.\d{3}-\d)$/.test(iswc)) {
    return [error(path, ProblemCode.invalidFormat, 'ISWC must look like T-DDD.DDD.DDD-C')];
  }
  return isValidIswc(iswc) ? [] : [error(path, ProblemCode.invalidCheckDigit, 'ISWC check digit is wrong')];
}
