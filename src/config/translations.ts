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
  /** The labels of a handout's name line. */
  name: string
  date: string
}

const english: Terms = { contents: 'Contents', notes: 'Notes', cover: 'Cover', landmarks: 'Landmarks', startOfText: 'Start of text', bibliography: 'Bibliography' , pageOf: 'Page {n} of {N}', name: 'Name', date: 'Date' }

/** By primary language subtag; what Pandoc's translations (`toc-title`) and publishers' usage give. */
const terms: Record<string, Terms> = {
  en: english,
  de: { contents: 'Inhalt', notes: 'Anmerkungen', cover: 'Umschlag', landmarks: 'Orientierungspunkte', startOfText: 'Textanfang', bibliography: 'Literatur' , pageOf: 'Seite {n} von {N}', name: 'Name', date: 'Datum' },
  fr: { contents: 'Table des matières', notes: 'Notes', cover: 'Couverture', landmarks: 'Repères', startOfText: 'Début du texte', bibliography: 'Bibliographie' , pageOf: 'Page {n} sur {N}', name: 'Nom', date: 'Date' },
  es: { contents: 'Índice', notes: 'Notas', cover: 'Cubierta', landmarks: 'Puntos de referencia', startOfText: 'Inicio del texto', bibliography: 'Bibliografía' , pageOf: 'Página {n} de {N}', name: 'Nombre', date: 'Fecha' },
  it: { contents: 'Indice', notes: 'Note', cover: 'Copertina', landmarks: 'Punti di riferimento', startOfText: 'Inizio del testo', bibliography: 'Bibliografia' , pageOf: 'Pagina {n} di {N}', name: 'Nome', date: 'Data' },
  pt: { contents: 'Sumário', notes: 'Notas', cover: 'Capa', landmarks: 'Pontos de referência', startOfText: 'Início do texto', bibliography: 'Bibliografia' , pageOf: 'Página {n} de {N}', name: 'Nome', date: 'Data' },
  nl: { contents: 'Inhoud', notes: 'Noten', cover: 'Omslag', landmarks: 'Oriëntatiepunten', startOfText: 'Begin van de tekst', bibliography: 'Bibliografie' , pageOf: 'Pagina {n} van {N}', name: 'Naam', date: 'Datum' },
  sv: { contents: 'Innehåll', notes: 'Noter', cover: 'Omslag', landmarks: 'Landmärken', startOfText: 'Textens början', bibliography: 'Litteratur' , pageOf: 'Sida {n} av {N}', name: 'Namn', date: 'Datum' },
  da: { contents: 'Indhold', notes: 'Noter', cover: 'Omslag', landmarks: 'Vartegn', startOfText: 'Tekstens begyndelse', bibliography: 'Litteratur' , pageOf: 'Side {n} af {N}', name: 'Navn', date: 'Dato' },
  nb: { contents: 'Innhold', notes: 'Noter', cover: 'Omslag', landmarks: 'Landemerker', startOfText: 'Tekstens begynnelse', bibliography: 'Litteratur' , pageOf: 'Side {n} av {N}', name: 'Navn', date: 'Dato' },
  fi: { contents: 'Sisällys', notes: 'Viitteet', cover: 'Kansi', landmarks: 'Maamerkit', startOfText: 'Tekstin alku', bibliography: 'Lähteet' , pageOf: 'Sivu {n}/{N}', name: 'Nimi', date: 'Päivämäärä' },
  pl: { contents: 'Spis treści', notes: 'Przypisy', cover: 'Okładka', landmarks: 'Punkty orientacyjne', startOfText: 'Początek tekstu', bibliography: 'Bibliografia' , pageOf: 'Strona {n} z {N}', name: 'Imię i nazwisko', date: 'Data' },
  cs: { contents: 'Obsah', notes: 'Poznámky', cover: 'Obálka', landmarks: 'Orientační body', startOfText: 'Začátek textu', bibliography: 'Literatura' , pageOf: 'Strana {n} z {N}', name: 'Jméno', date: 'Datum' },
  ru: { contents: 'Содержание', notes: 'Примечания', cover: 'Обложка', landmarks: 'Ориентиры', startOfText: 'Начало текста', bibliography: 'Литература' , pageOf: 'Страница {n} из {N}', name: 'Имя', date: 'Дата' },
  zh: { contents: '目录', notes: '注释', cover: '封面', landmarks: '地标', startOfText: '正文开始', bibliography: '参考文献' , pageOf: '第 {n} 页，共 {N} 页', name: '姓名', date: '日期' },
  ja: { contents: '目次', notes: '注', cover: '表紙', landmarks: 'ランドマーク', startOfText: '本文の始まり', bibliography: '参考文献' , pageOf: '{n} / {N} ページ', name: '氏名', date: '日付' },
}
terms['no'] = terms['nb'] ?? english
terms['nn'] = terms['nb'] ?? english

/** The terms for a BCP 47 tag (`de-AT` → German); English for a language Galley has no words for. */
export function termsFor(lang: string): Terms {
  return terms[lang.split(/[-_]/)[0]?.toLowerCase() ?? ''] ?? english
}
