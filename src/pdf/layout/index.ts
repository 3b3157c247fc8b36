// The browser entry of the layout passes, bundled into one script (see `../layout-script.ts`) whose exports become
// the page's `galleyLayout`: the line pass, then the layout pass (which also finds where pages start, for the EPUB's
// page list), with the same print styles, run back to back by one call (`passes.ts`); a book big enough has its lines
// improved in two pages at once (`lines-in-two.ts`), a bigger one is laid out in two parts (`parts.ts`). Each pass
// alone is for tests.
export { improveLineBreaks } from './line-breaking.js'
export { paginate } from './paginate.js'
export { improveFirstLines, improveRestLines } from './lines-in-two.js'
export { joinParts, layOutDocument, layOutPart, layOutWithRestLines } from './passes.js'
