// Generates a seeded book with 1,000 TeX formulas (the kinds a paper uses, each one different), for the math benchmark;
// the same book with every formula replaced by a word measures what the formulas cost.
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Prose } from './prose.js'
import { Random } from './random.js'

const chapters = 10
const perChapter = 100

/** Inline formula templates; `#` is a number and `@` a letter that vary with each use. */
const inline = [
  'x_{#} + y_{#}',
  '\\mathcal{R}_{@}',
  '\\operatorname{Tr}(A_{#})',
  '\\frac{@}{#}',
  '\\sum_{i=1}^{#} x_i',
  '\\alpha_{#}\\beta^{@}',
  '\\lVert v_{#} \\rVert_2',
  '\\mathbb{E}[X_{#}] = \\mu_{@}',
  'e^{-@ t / #}',
  '\\hat{\\theta}_{#} \\in \\mathbb{R}^{@}',
]

/** Display formula templates. */
const display = [
  '\\int_0^{#} e^{-@ x}\\,dx = \\frac{1 - e^{-#@}}{@}',
  'f_{#}(x) = \\begin{cases} 0 & x < # \\\\ @ & \\text{otherwise} \\end{cases}',
  '\\begin{pmatrix} # & @ \\\\ @ & # \\end{pmatrix}',
  '\\begin{aligned} a_{#} &= b + c_{@} \\\\ d &= \\left( \\frac{#}{@} \\right)^2 \\end{aligned}',
  '\\sum_{k=0}^{#} \\binom{#}{k} @^k = (1 + @)^{#}',
]

function fill(template: string, random: Random): string {
  return template.replace(/#/g, () => String(random.int(1, 99))).replace(/@/g, () => String.fromCharCode(97 + random.int(0, 25)))
}

export interface MathBook {
  dir: string
  chapters: string[]
  formulas: number
}

/** Writes the book into `dir` (chapters and `galley.yaml`); with `math` false every formula is the word "formula". */
export async function generateMathBook(dir: string, math: boolean, seed = 20_261_206): Promise<MathBook> {
  await mkdir(dir, { recursive: true })
  const random = new Random(seed)
  const prose = new Prose(new Random(seed + 1))
  const files: string[] = []
  let formulas = 0
  const formula = (tex: string, displayed: boolean): string => {
    formulas += 1
    if (!math) return 'formula'
    return displayed ? `\n$$${tex}$$\n` : `$${tex}$`
  }
  for (let c = 1; c <= chapters; c++) {
    const parts = [`# Chapter ${c}\n`]
    for (let p = 0; p < perChapter / 5; p++) {
      // Four inline formulas in a paragraph of prose, then a displayed one that the paragraph goes on after.
      const sentences = Array.from({ length: 4 }, () => {
        const sentence = prose.sentence()
        return `${sentence.body.replace(/\s(\S+)$/, ` ${formula(fill(random.pick(inline), random), false)} $1`)}${sentence.end}`
      })
      parts.push(`${sentences.join(' ')}${formula(fill(random.pick(display), random), true)}which ends the paragraph.\n`)
    }
    const file = path.join(dir, `chapter-${String(c).padStart(2, '0')}.md`)
    await writeFile(file, parts.join('\n'))
    files.push(file)
  }
  await writeFile(path.join(dir, 'galley.yaml'), `input-files:\n${files.map((file) => `  - ${path.basename(file)}`).join('\n')}\nmetadata:\n  title: A Thousand Formulas\n`)
  return { dir, chapters: files, formulas }
}
