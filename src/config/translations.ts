// The few words Galley writes itself (headings of the contents and notes, EPUB navigation labels), in the book's language.

export interface Terms {
  contents: string
  notes: string
  cover: string
  landmarks: string
  startOfText: string
  bibliography: string
}

const english: Terms = { contents: 'Contents', notes: 'Notes', cover: 'Cover', landmarks: 'Landmarks', startOfText: 'Start of text', bibliography: 'Bibliography' }

/** By primary language subtag; what Pandoc's translations (`toc-title`) and publishers' usage give. */
const terms: Record<string, Terms> = {
  en: english,
  de: { contents: 'Inhalt', notes: 'Anmerkungen', cover: 'Umschlag', landmarks: 'Orientierungspunkte', startOfText: 'Textanfang', bibliography: 'Literatur' },
  fr: { contents: 'Table des matières', notes: 'Notes', cover: 'Couverture', landmarks: 'Repères', startOfText: 'Début du texte', bibliography: 'Bibliographie' },
  es: { contents: 'Índice', notes: 'Notas', cover: 'Cubierta', landmarks: 'Puntos de referencia', startOfText: 'Inicio del texto', bibliography: 'Bibliografía' },
  it: { contents: 'Indice', notes: 'Note', cover: 'Copertina', landmarks: 'Punti di riferimento', startOfText: 'Inizio del testo', bibliography: 'Bibliografia' },
  pt: { contents: 'Sumário', notes: 'Notas', cover: 'Capa', landmarks: 'Pontos de referência', startOfText: 'Início do texto', bibliography: 'Bibliografia' },
  nl: { contents: 'Inhoud', notes: 'Noten', cover: 'Omslag', landmarks: 'Oriëntatiepunten', startOfText: 'Begin van de tekst', bibliography: 'Bibliografie' },
  sv: { contents: 'Innehåll', notes: 'Noter', cover: 'Omslag', landmarks: 'Landmärken', startOfText: 'Textens början', bibliography: 'Litteratur' },
  da: { contents: 'Indhold', notes: 'Noter', cover: 'Omslag', landmarks: 'Vartegn', startOfText: 'Tekstens begyndelse', bibliography: 'Litteratur' },
  nb: { contents: 'Innhold', notes: 'Noter', cover: 'Omslag', landmarks: 'Landemerker', startOfText: 'Tekstens begynnelse', bibliography: 'Litteratur' },
  fi: { contents: 'Sisällys', notes: 'Viitteet', cover: 'Kansi', landmarks: 'Maamerkit', startOfText: 'Tekstin alku', bibliography: 'Lähteet' },
  pl: { contents: 'Spis treści', notes: 'Przypisy', cover: 'Okładka', landmarks: 'Punkty orientacyjne', startOfText: 'Początek tekstu', bibliography: 'Bibliografia' },
  cs: { contents: 'Obsah', notes: 'Poznámky', cover: 'Obálka', landmarks: 'Orientační body', startOfText: 'Začátek textu', bibliography: 'Literatura' },
  ru: { contents: 'Содержание', notes: 'Примечания', cover: 'Обложка', landmarks: 'Ориентиры', startOfText: 'Начало текста', bibliography: 'Литература' },
  zh: { contents: '目录', notes: '注释', cover: '封面', landmarks: '地标', startOfText: '正文开始', bibliography: '参考文献' },
  ja: { contents: '目次', notes: '注', cover: '表紙', landmarks: 'ランドマーク', startOfText: '本文の始まり', bibliography: '参考文献' },
}
terms['no'] = terms['nb'] ?? english
terms['nn'] = terms['nb'] ?? english

/** The terms for a BCP 47 tag (`de-AT` → German); English for a language Galley has no words for. */
export function termsFor(lang: string): Terms {
  return terms[lang.split(/[-_]/)[0]?.toLowerCase() ?? ''] ?? english
}
