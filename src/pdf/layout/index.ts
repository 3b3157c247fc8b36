// The browser entry of the layout passes, bundled into one script (see `../layout-script.ts`) whose exports become
// the page's `galleyLayout`: the line pass, then the layout pass (which also finds where pages start, for the EPUB's
// page list), with the same print styles, run back to back by one call (`passes.ts`); a book is laid out in two parts
// at once, in two pages, when it is big enough (`parts.ts`). Each pass alone is for tests.
export { improveLineBreaks } from './line-breaking.js'
export { paginate } from './paginate.js'
export { joinParts, layOutDocument, layOutPart } from './passes.js'
