// The browser entry of the layout passes, bundled into one script (see `../layout-script.ts`) whose exports become
// the page's `galleyLayout`: `improveLineBreaks` first, then `paginate` (which also finds where pages start, for the EPUB's page list), with the same print styles.
export { improveLineBreaks } from './line-breaking.js'
export { paginate } from './paginate.js'
