/**
 * English title case as stores ask for it (docs/DELIVERY-CHECKS.md, "Casing"): these words stay
 * lower case unless first or last, first or last inside brackets, or next to `-`, `/` or `:`.
 */
const MINOR_WORDS = new Set(
  (
    'a an and as but for from nor of or so the to yet ' +
    // prepositions of four letters or fewer
    'at by in into off on onto out over up with'
  ).split(' '),
);

// Apostrophes and asterisks stay inside a word ("Don't", "F**k").
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’*]*/gu;
const OPENS_GROUP = /[([{]/;
const CLOSES_GROUP = /[)\]}]/;
const JOINS = /[-/:–—]/;
const CASED_LETTER = /\p{Lu}|\p{Ll}/u;

/** Letters that have an upper and a lower case form. */
function casedLetters(text: string): string[] {
  return [...text].filter((char) => CASED_LETTER.test(char));
}

const isUpper = (char: string) => char !== char.toLowerCase();

/** Every cased letter is upper case, in a text long enough not to be an acronym ("DNA"). */
export function isAllCaps(text: string): boolean {
  const letters = casedLetters(text);
  const words = text.match(WORD)?.filter((word) => casedLetters(word).length > 0).length ?? 0;
  return letters.length > 0 && letters.every(isUpper) && (words >= 2 || letters.length >= 6);
}

/** Every cased letter is lower case ("blue hours"). */
export function isAllLowercase(text: string): boolean {
  const letters = casedLetters(text);
  return letters.length >= 2 && letters.every((char) => !isUpper(char));
}

/** Capitalises the first letter; a word with capitals after its first letter (McCartney, iPhone, DJ) is kept. */
function capitalise(word: string): string {
  const rest = word.slice(1);
  if ([...rest].some(isUpper)) return word;
  return word.charAt(0).toUpperCase() + rest;
}

/**
 * `text` in English title case. Words written with inner capitals are kept as they are; an
 * all-caps text is lowered first (its acronyms with it: the person sees the result on the button).
 * @example titleCase('the way of the world') // 'The Way of the World'
 */
export function titleCase(text: string): string {
  const cased = caseWords(isAllCaps(text) ? text.toLowerCase() : text);
  // Kept capitals that leave the whole title in capitals ("DNA a" → "DNA A") are capitals too many.
  return isAllCaps(cased) ? caseWords(text.toLowerCase()) : cased;
}

function caseWords(source: string): string {
  const words = [...source.matchAll(WORD)];
  let result = '';
  let last = 0;
  words.forEach((match, i) => {
    const start = match.index;
    const end = start + match[0].length;
    const before = source.slice(last, start);
    const after = source.slice(end, words[i + 1]?.index ?? source.length);
    const isEdge =
      i === 0 ||
      i === words.length - 1 ||
      OPENS_GROUP.test(before) ||
      CLOSES_GROUP.test(after) ||
      JOINS.test(before) ||
      JOINS.test(after);
    const word = match[0];
    const lower = word.toLowerCase();
    result += before + (!isEdge && MINOR_WORDS.has(lower) ? lower : capitalise(word));
    last = end;
  });
  return result + source.slice(last);
}

/** Whether `language` (a BCP 47 / ISO 639 code) is English, the only casing rules applied here. */
export const isEnglish = (language: string) => language === 'en' || language.startsWith('en-');
