// The browser entry of the layout passes, bundled into one script (see `../layout-script.ts`) whose exports become
// the page's `galleyLayout`: the line pass, then the layout pass (which also finds where pages start, for the EPUB's
// page list), with the same print styles, run back to back by one call (`layOutDocument`). Each pass alone is for tests.
export { improveLineBreaks } from './line-breaking.js'
export { paginate } from './paginate.js'
export { layOutDocument } from './passes.js'
