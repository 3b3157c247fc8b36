// The few words Galley writes itself (headings of the contents and notes, EPUB navigation labels), in the book's language.

export interface Terms {
  contents: string
  notes: string
  cover: string
  landmarks: string
  startOfText: string
  bibliography: string
  /** A handout's footer, `{n}` the page and `{N}` the number of pages. */
  pageOf: string
  /** The heading of the EPUB's list of the print edition's pages (its `page-list` nav). */
  pages: string
  /** The labels of a handout's name line. */
  name: string
  date: string
}

const english: Terms = { contents: 'Contents', notes: 'Notes', cover: 'Cover', landmarks: 'Landmarks', startOfText: 'Start of text', bibliography: 'Bibliography' , pageOf: 'Page {n} of {N}', pages: 'Pages', name: 'Name', date: 'Date' }

/** By primary language subtag; what Pandoc's translations (`toc-title`) and publishers' usage give. */
const terms: Record<string, Terms> = {
  en: english,
  de: { contents: 'Inhalt', notes: 'Anmerkungen', cover: 'Umschlag', landmarks: 'Orientierungspunkte', startOfText: 'Textanfang', bibliography: 'Literatur' , pageOf: 'Seite {n} von {N}', pages: 'Seitenliste', name: 'Name', date: 'Datum' },
  fr: { contents: 'Table des matières', notes: 'Notes', cover: 'Couverture', landmarks: 'Repères', startOfText: 'Début du texte', bibliography: 'Bibliographie' , pageOf: 'Page {n} sur {N}', pages: 'Pages', name: 'Nom', date: 'Date' },
  es: { contents: 'Índice', notes: 'Notas', cover: 'Cubierta', landmarks: 'Puntos de referencia', startOfText: 'Inicio del texto', bibliography: 'Bibliografía' , pageOf: 'Página {n} de {N}', pages: 'Páginas', name: 'Nombre', date: 'Fecha' },
  it: { contents: 'Indice', notes: 'Note', cover: 'Copertina', landmarks: 'Punti di riferimento', startOfText: 'Inizio del testo', bibliography: 'Bibliografia' , pageOf: 'Pagina {n} di {N}', pages: 'Pagine', name: 'Nome', date: 'Data' },
  pt: { contents: 'Sumário', notes: 'Notas', cover: 'Capa', landmarks: 'Pontos de referência', startOfText: 'Início do texto', bibliography: 'Bibliografia' , pageOf: 'Página {n} de {N}', pages: 'Páginas', name: 'Nome', date: 'Data' },
  nl: { contents: 'Inhoud', notes: 'Noten', cover: 'Omslag', landmarks: 'Oriëntatiepunten', startOfText: 'Begin van de tekst', bibliography: 'Bibliografie' , pageOf: 'Pagina {n} van {N}', pages: "Pagina's", name: 'Naam', date: 'Datum' },
  sv: { contents: 'Innehåll', notes: 'Noter', cover: 'Omslag', landmarks: 'Landmärken', startOfText: 'Textens början', bibliography: 'Litteratur' , pageOf: 'Sida {n} av {N}', pages: 'Sidor', name: 'Namn', date: 'Datum' },
  da: { contents: 'Indhold', notes: 'Noter', cover: 'Omslag', landmarks: 'Vartegn', startOfText: 'Tekstens begyndelse', bibliography: 'Litteratur' , pageOf: 'Side {n} af {N}', pages: 'Sider', name: 'Navn', date: 'Dato' },
  nb: { contents: 'Innhold', notes: 'Noter', cover: 'Omslag', landmarks: 'Landemerker', startOfText: 'Tekstens begynnelse', bibliography: 'Litteratur' , pageOf: 'Side {n} av {N}', pages: 'Sider', name: 'Navn', date: 'Dato' },
  fi: { contents: 'Sisällys', notes: 'Viitteet', cover: 'Kansi', landmarks: 'Maamerkit', startOfText: 'Tekstin alku', bibliography: 'Lähteet' , pageOf: 'Sivu {n}/{N}', pages: 'Sivut', name: 'Nimi', date: 'Päivämäärä' },
  pl: { contents: 'Spis treści', notes: 'Przypisy', cover: 'Okładka', landmarks: 'Punkty orientacyjne', startOfText: 'Początek tekstu', bibliography: 'Bibliografia' , pageOf: 'Strona {n} z {N}', pages: 'Strony', name: 'Imię i nazwisko', date: 'Data' },
  cs: { contents: 'Obsah', notes: 'Poznámky', cover: 'Obálka', landmarks: 'Orientační body', startOfText: 'Začátek textu', bibliography: 'Literatura' , pageOf: 'Strana {n} z {N}', pages: 'Strany', name: 'Jméno', date: 'Datum' },
  ru: { contents: 'Содержание', notes: 'Примечания', cover: 'Обложка', landmarks: 'Ориентиры', startOfText: 'Начало текста', bibliography: 'Литература' , pageOf: 'Страница {n} из {N}', pages: 'Страницы', name: 'Имя', date: 'Дата' },
  zh: { contents: '目录', notes: '注释', cover: '封面', landmarks: '地标', startOfText: '正文开始', bibliography: '参考文献' , pageOf: '第 {n} 页，共 {N} 页', pages: '页码', name: '姓名', date: '日期' },
  ja: { contents: '目次', notes: '注', cover: '表紙', landmarks: 'ランドマーク', startOfText: '本文の始まり', bibliography: '参考文献' , pageOf: '{n} / {N} ページ', pages: 'ページ', name: '氏名', date: '日付' },
}
terms['no'] = terms['nb'] ?? english
terms['nn'] = terms['nb'] ?? english

/** The terms for a BCP 47 tag (`de-AT` → German); English for a language Galley has no words for. */
export function termsFor(lang: string): Terms {
  return terms[lang.split(/[-_]/)[0]?.toLowerCase() ?? ''] ?? english
}

/** The heading of the abstract and the label of the keywords in the title block, as Pandoc's translations have them. */
const titleBlockWords: Record<string, [abstract: string, keywords: string]> = {
  en: ['Abstract', 'Keywords'],
  de: ['Zusammenfassung', 'Schlüsselwörter'],
  fr: ['Résumé', 'Mots-clés'],
  es: ['Resumen', 'Palabras clave'],
  it: ['Sommario', 'Parole chiave'],
  pt: ['Resumo', 'Palavras-chave'],
  nl: ['Samenvatting', 'Trefwoorden'],
  sv: ['Sammanfattning', 'Nyckelord'],
  da: ['Resumé', 'Nøgleord'],
  nb: ['Sammendrag', 'Nøkkelord'],
  no: ['Sammendrag', 'Nøkkelord'],
  nn: ['Samandrag', 'Nøkkelord'],
  fi: ['Tiivistelmä', 'Avainsanat'],
  pl: ['Streszczenie', 'Słowa kluczowe'],
  cs: ['Abstrakt', 'Klíčová slova'],
  ru: ['Аннотация', 'Ключевые слова'],
  zh: ['摘要', '关键词'],
  ja: ['概要', 'キーワード'],
}

/** "Abstract" and "Keywords" in a BCP 47 language (English for one Galley has no words for). */
export function titleBlockTermsFor(lang: string): { abstract: string; keywords: string } {
  const [abstract, keywords] = titleBlockWords[lang.split(/[-_]/)[0]?.toLowerCase() ?? ''] ?? ['Abstract', 'Keywords']
  return { abstract, keywords }
}

/**
 * The words of numbered captions and cross-references (pandoc-crossref's `figureTitle`, `figPrefix`… and Quarto's
 * reference words), by primary language subtag. The English ones are pandoc-crossref's own defaults; prefixes come
 * as [one, several].
 */
export interface CrossrefTerms {
  figureTitle: string
  tableTitle: string
  listingTitle: string
  figPrefix: [string, string]
  tblPrefix: [string, string]
  eqnPrefix: [string, string]
  secPrefix: [string, string]
  lstPrefix: [string, string]
  lofTitle: string
  lotTitle: string
  lolTitle: string
  /** Quarto's reference words (`@fig-x` is "Figure 1"), in the order figure, table, equation, section, listing. */
  quarto: { fig: string; tbl: string; eq: string; sec: string; lst: string }
}

const crossrefEnglish: CrossrefTerms = {
  figureTitle: 'Figure',
  tableTitle: 'Table',
  listingTitle: 'Listing',
  figPrefix: ['fig.', 'figs.'],
  tblPrefix: ['tbl.', 'tbls.'],
  eqnPrefix: ['eq.', 'eqns.'],
  secPrefix: ['sec.', 'secs.'],
  lstPrefix: ['lst.', 'lsts.'],
  lofTitle: 'List of Figures',
  lotTitle: 'List of Tables',
  lolTitle: 'List of Listings',
  quarto: { fig: 'Figure', tbl: 'Table', eq: 'Equation', sec: 'Section', lst: 'Listing' },
}

/** What LaTeX's babel and Quarto's language files write for these languages. */
const crossrefTerms: Record<string, CrossrefTerms> = {
  en: crossrefEnglish,
  de: {
    figureTitle: 'Abbildung',
    tableTitle: 'Tabelle',
    listingTitle: 'Listing',
    figPrefix: ['Abb.', 'Abb.'],
    tblPrefix: ['Tab.', 'Tab.'],
    eqnPrefix: ['Gl.', 'Gl.'],
    secPrefix: ['Abschn.', 'Abschn.'],
    lstPrefix: ['Lst.', 'Lst.'],
    lofTitle: 'Abbildungsverzeichnis',
    lotTitle: 'Tabellenverzeichnis',
    lolTitle: 'Listingverzeichnis',
    quarto: { fig: 'Abbildung', tbl: 'Tabelle', eq: 'Gleichung', sec: 'Abschnitt', lst: 'Listing' },
  },
  fr: {
    figureTitle: 'Figure',
    tableTitle: 'Tableau',
    listingTitle: 'Listing',
    figPrefix: ['fig.', 'fig.'],
    tblPrefix: ['tabl.', 'tabl.'],
    eqnPrefix: ['éq.', 'éq.'],
    secPrefix: ['sect.', 'sect.'],
    lstPrefix: ['lst.', 'lst.'],
    lofTitle: 'Table des figures',
    lotTitle: 'Liste des tableaux',
    lolTitle: 'Liste des listings',
    quarto: { fig: 'Figure', tbl: 'Tableau', eq: 'Équation', sec: 'Section', lst: 'Listing' },
  },
  es: {
    figureTitle: 'Figura',
    tableTitle: 'Tabla',
    listingTitle: 'Listado',
    figPrefix: ['fig.', 'figs.'],
    tblPrefix: ['tabla', 'tablas'],
    eqnPrefix: ['ec.', 'ecs.'],
    secPrefix: ['sec.', 'secs.'],
    lstPrefix: ['lst.', 'lsts.'],
    lofTitle: 'Índice de figuras',
    lotTitle: 'Índice de tablas',
    lolTitle: 'Índice de listados',
    quarto: { fig: 'Figura', tbl: 'Tabla', eq: 'Ecuación', sec: 'Sección', lst: 'Listado' },
  },
  it: {
    figureTitle: 'Figura',
    tableTitle: 'Tabella',
    listingTitle: 'Listato',
    figPrefix: ['fig.', 'figg.'],
    tblPrefix: ['tab.', 'tabb.'],
    eqnPrefix: ['eq.', 'eqq.'],
    secPrefix: ['sez.', 'sezz.'],
    lstPrefix: ['lst.', 'lstt.'],
    lofTitle: 'Elenco delle figure',
    lotTitle: 'Elenco delle tabelle',
    lolTitle: 'Elenco dei listati',
    quarto: { fig: 'Figura', tbl: 'Tabella', eq: 'Equazione', sec: 'Sezione', lst: 'Listato' },
  },
  pt: {
    figureTitle: 'Figura',
    tableTitle: 'Tabela',
    listingTitle: 'Listagem',
    figPrefix: ['fig.', 'figs.'],
    tblPrefix: ['tab.', 'tabs.'],
    eqnPrefix: ['eq.', 'eqs.'],
    secPrefix: ['seç.', 'seçs.'],
    lstPrefix: ['lst.', 'lsts.'],
    lofTitle: 'Lista de figuras',
    lotTitle: 'Lista de tabelas',
    lolTitle: 'Lista de listagens',
    quarto: { fig: 'Figura', tbl: 'Tabela', eq: 'Equação', sec: 'Seção', lst: 'Listagem' },
  },
  nl: {
    figureTitle: 'Figuur',
    tableTitle: 'Tabel',
    listingTitle: 'Listing',
    figPrefix: ['fig.', 'fig.'],
    tblPrefix: ['tab.', 'tab.'],
    eqnPrefix: ['vgl.', 'vgl.'],
    secPrefix: ['par.', 'par.'],
    lstPrefix: ['lst.', 'lst.'],
    lofTitle: 'Lijst van figuren',
    lotTitle: 'Lijst van tabellen',
    lolTitle: 'Lijst van listings',
    quarto: { fig: 'Figuur', tbl: 'Tabel', eq: 'Vergelijking', sec: 'Paragraaf', lst: 'Listing' },
  },
}

/** The cross-reference words for a BCP 47 tag; English for a language Galley has none for. */
export function crossrefTermsFor(lang: string): CrossrefTerms {
  return crossrefTerms[lang.split(/[-_]/)[0]?.toLowerCase() ?? ''] ?? crossrefEnglish
}

/** The default titles of callouts (`::: {.callout-note}`, `> [!NOTE]`), as Quarto's translations give them. */
export interface CalloutTitles {
  note: string
  tip: string
  important: string
  warning: string
  caution: string
}

const calloutTitles: Record<string, CalloutTitles> = {
  en: { note: 'Note', tip: 'Tip', important: 'Important', warning: 'Warning', caution: 'Caution' },
  de: { note: 'Hinweis', tip: 'Tipp', important: 'Wichtig', warning: 'Warnung', caution: 'Vorsicht' },
  fr: { note: 'Note', tip: 'Astuce', important: 'Important', warning: 'Avertissement', caution: 'Attention' },
  es: { note: 'Nota', tip: 'Consejo', important: 'Importante', warning: 'Advertencia', caution: 'Precaución' },
  it: { note: 'Nota', tip: 'Suggerimento', important: 'Importante', warning: 'Avvertimento', caution: 'Attenzione' },
  pt: { note: 'Nota', tip: 'Dica', important: 'Importante', warning: 'Aviso', caution: 'Cuidado' },
  nl: { note: 'Opmerking', tip: 'Tip', important: 'Belangrijk', warning: 'Waarschuwing', caution: 'Let op' },
  sv: { note: 'Obs', tip: 'Tips', important: 'Viktigt', warning: 'Varning', caution: 'Försiktighet' },
  da: { note: 'Bemærk', tip: 'Tip', important: 'Vigtigt', warning: 'Advarsel', caution: 'Forsigtig' },
  nb: { note: 'Merknad', tip: 'Tips', important: 'Viktig', warning: 'Advarsel', caution: 'Forsiktig' },
  fi: { note: 'Huomautus', tip: 'Vinkki', important: 'Tärkeää', warning: 'Varoitus', caution: 'Varo' },
  pl: { note: 'Uwaga', tip: 'Wskazówka', important: 'Ważne', warning: 'Ostrzeżenie', caution: 'Przestroga' },
  cs: { note: 'Poznámka', tip: 'Tip', important: 'Důležité', warning: 'Varování', caution: 'Upozornění' },
  ru: { note: 'Примечание', tip: 'Совет', important: 'Важно', warning: 'Предупреждение', caution: 'Осторожно' },
  zh: { note: '注意', tip: '提示', important: '重要', warning: '警告', caution: '小心' },
  ja: { note: '注記', tip: 'ヒント', important: '重要', warning: '警告', caution: '注意' },
}

/** Callout titles for a BCP 47 tag, as `termsFor` chooses; English for a language Galley has no words for. */
export function calloutTitlesFor(lang: string): CalloutTitles {
  const primary = lang.split(/[-_]/)[0]?.toLowerCase() ?? ''
  return calloutTitles[primary === 'no' || primary === 'nn' ? 'nb' : primary] ?? (calloutTitles['en'] as CalloutTitles)
}
