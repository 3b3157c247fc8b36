// The faces shipped with Galley: the text face (Source Serif 4, OFL: WOFF2 subsets from @fontsource for the print page,
// whole TrueType files from @expo-google-fonts for EPUB fonts and the cover) and the math font, as files and as @font-face rules.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(import.meta.url)
const fontDir = path.join(path.dirname(require.resolve('@fontsource/source-serif-4/package.json')), 'files')

export const fontFamily = 'Source Serif 4'

export interface FontFace {
  weight: number
  style: 'normal' | 'italic'
  subset: 'latin' | 'latin-ext'
  /** Absolute path of the WOFF2 file. */
  file: string
  /** File name inside an EPUB (`fonts/…`). */
  name: string
}

const unicodeRanges = {
  latin: 'U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, U+0308, U+0329, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD',
  'latin-ext': 'U+0100-02BA, U+02BD-02C5, U+02C7-02CC, U+02CE-02D7, U+02DD-02FF, U+0304, U+0308, U+0329, U+1D00-1DBF, U+1E00-1E9F, U+1EF2-1EFF, U+2020, U+20A0-20AB, U+20AD-20C0, U+2113, U+2C60-2C7F, U+A720-A7FF',
}

export const fontFaces: readonly FontFace[] = (['latin', 'latin-ext'] as const).flatMap((subset) =>
  [400, 600, 700].flatMap((weight) =>
    (['normal', 'italic'] as const).map((style) => {
      const name = `source-serif-4-${subset}-${weight}-${style}.woff2`
      return { weight, style, subset, file: path.join(fontDir, name), name }
    }),
  ),
)

const trueTypeDir = path.dirname(require.resolve('@expo-google-fonts/source-serif-4/package.json'))
const trueTypeNames: Record<number, string> = { 400: 'Regular', 600: 'SemiBold', 700: 'Bold' }

export interface TrueTypeFace {
  weight: number
  style: 'normal' | 'italic'
  /** Absolute path of the whole TrueType file (every script the face has: Latin, Greek, Cyrillic, Vietnamese). */
  file: string
  /** File name inside an EPUB (`fonts/…`). */
  name: string
}

/**
 * The text face as whole TrueType files, the same weights and styles as `fontFaces`: what e-readers take (Kindle's KF8
 * reads TrueType and OpenType, not WOFF2), subset to the book's characters before they are packed.
 */
export const trueTypeFaces: readonly TrueTypeFace[] = [400, 600, 700].flatMap((weight) =>
  (['normal', 'italic'] as const).map((style) => {
    const variant = `${weight}${trueTypeNames[weight] ?? ''}${style === 'italic' ? '_Italic' : ''}`
    return { weight, style, file: path.join(trueTypeDir, variant, `SourceSerif4_${variant}.ttf`), name: `source-serif-4-${weight}-${style}.ttf` }
  }),
)

/** The SIL Open Font License text of the TrueType files, which OFL-1.1 requires to travel with them. */
export const fontLicenseFile = path.join(trueTypeDir, 'LICENSE_FONT')

/** One TrueType face's `@font-face` rule; `url` says where its file is. No `unicode-range`: the file holds every character it is needed for. */
export function trueTypeFaceCss(face: TrueTypeFace, url: string): string {
  return `@font-face {
  font-family: "${fontFamily}";
  font-style: ${face.style};
  font-weight: ${face.weight};
  src: url("${url}") format("truetype");
}`
}

/** `@font-face` rules; `url` says where each file is (a data URI for one self-contained HTML, a path in an EPUB). */
export function fontFaceCss(url: (face: FontFace) => string): string {
  return fontFaces
    .map(
      (face) => `@font-face {
  font-family: "${fontFamily}";
  font-style: ${face.style};
  font-weight: ${face.weight};
  font-display: block;
  src: url("${url(face)}") format("woff2");
  unicode-range: ${unicodeRanges[face.subset]};
}`,
    )
    .join('\n')
}

const dataUris = new Map<string, string>()

/** The font file inlined, so the HTML and the browser page need nothing from outside. */
export function fontDataUri(face: FontFace): string {
  let uri = dataUris.get(face.file)
  if (uri === undefined) {
    uri = `data:font/woff2;base64,${readFileSync(face.file).toString('base64')}`
    dataUris.set(face.file, uri)
  }
  return uri
}

/**
 * The math font: DejaVu Math TeX Gyre, from Debian's `fonts-dejavu-extra` (which `npm run setup` installs), a serif
 * OpenType MATH font with TrueType outlines. Chromium embeds it in the PDF as a CID TrueType font with a ToUnicode
 * map, so formulas are searchable text; CFF math fonts (Latin Modern, TeX Gyre Termes Math) come out as Type 3.
 */
export const mathFont = {
  family: 'DejaVu Math TeX Gyre',
  file: '/usr/share/fonts/truetype/dejavu/DejaVuMathTeXGyre.ttf',
  /** File name inside an EPUB (`fonts/…`). */
  name: 'DejaVuMathTeXGyre.ttf',
}

/** Whether the math font is installed. */
export function hasMathFont(): boolean {
  return existsSync(mathFont.file)
}

/** The math font's `@font-face` rule; `url` says where the file is. */
export function mathFontFaceCss(url: string): string {
  return `@font-face {
  font-family: "${mathFont.family}";
  font-style: normal;
  font-weight: 400;
  font-display: block;
  src: url("${url}") format("truetype");
}`
}

/** The math font inlined, as the text face is, for the browser page and the standalone HTML. */
export function mathFontDataUri(): string {
  let uri = dataUris.get(mathFont.file)
  if (uri === undefined) {
    uri = `data:font/ttf;base64,${readFileSync(mathFont.file).toString('base64')}`
    dataUris.set(mathFont.file, uri)
  }
  return uri
}
