// ballot-sheet.ts: a closed ballot's result as the office reports it (表决结果): facts, one row per
// choice with its count and share of members present, the verdict and the 校验码. The printed sheet,
// the 投屏 result and the .xlsx all place this one model, so their figures cannot disagree.
//
// The figures are the engine's (its tally computes shares on integers, 4/33 = 12.1%); this file
// only names them in zh-CN and lays them out.

type T = (key: string, params?: Record<string, unknown>) => string;

/** The parts of the engine's tally a sheet reads (structurally the core's Tally). */
export interface SheetTally {
  kind: 'for_against' | 'rating' | 'score' | 'choose';
  members: number;
  present: number;
  cast: number;
  quorum_met: boolean;
  passed: boolean | null;
  counts?: { option: string; count: number; share: { text: string } | null }[];
  sum?: string;
  average?: string | null;
  lowest?: number | null;
  highest?: number | null;
  chosen?: string[];
  tied?: { options: string[]; seats: number } | null;
  blank?: number;
}

export interface SheetInput {
  title: string;
  tally: SheetTally;
  /** The seal's head digest, row count and 校验码 (the head's first 16 hex digits, as the engine groups them); absent until closed. */
  seal?: { head: string; count: number; code: string } | null;
  closedAt?: string;
  /** The rules as the YAML names them, for the facts lines. */
  quorum: string;
  pass: string;
  secret: boolean;
  /** A named ballot's record (记名表决), voter by voter, for the printed sheet and the .xlsx (never the 投屏). */
  named?: { name: string; choice: string }[];
}

export interface ResultSheet {
  title: string;
  facts: { label: string; value: string | number }[];
  columns: string[];
  /** A score ballot: two columns (item, value), no shares. */
  isScore: boolean;
  rows: { label: string; count: number | string; share?: string }[];
  verdict: 'passed' | 'failed' | 'none';
  verdictText: string;
  seal?: { short: string; head: string; count: number };
  closedAt: string;
  /** A named ballot's record, by name (the printed sheet and the .xlsx only). */
  named?: { name: string; choice: string }[];
}

/** How a choice is named on the sheet: 赞成/反对/弃权 from the labels, a scale value or an option as written. */
export function choiceLabel(t: T, kind: SheetTally['kind'], option: string): string {
  return kind === 'for_against' ? t(`ballot.choice.${option}`) : option;
}

function verdictOf(tally: SheetTally): ResultSheet['verdict'] {
  if (tally.passed === null) return 'none';
  return tally.passed ? 'passed' : 'failed';
}

function verdictText(t: T, tally: SheetTally): string {
  if (!tally.quorum_met) return t('ballot.result.noQuorum');
  if (tally.kind === 'choose' && tally.chosen) {
    const chosen = tally.chosen.length > 0 ? tally.chosen.join('、') : t('common.none');
    const tied = tally.tied ? t('ballot.result.tied', { options: tally.tied.options.join('、'), seats: tally.tied.seats }) : '';
    return `${t('ballot.result.chosen', { options: chosen })}${tied}`;
  }
  if (tally.passed === null) return t('ballot.result.countsOnly');
  return tally.passed ? t('ballot.result.passed') : t('ballot.result.failed');
}

function rowsOf(t: T, tally: SheetTally): ResultSheet['rows'] {
  if (tally.kind === 'score') {
    return [
      { label: t('ballot.result.average'), count: tally.average ?? '—' },
      { label: t('ballot.result.lowest'), count: tally.lowest ?? '—' },
      { label: t('ballot.result.highest'), count: tally.highest ?? '—' },
      { label: t('ballot.result.sum'), count: tally.sum ?? '0' },
    ];
  }
  const rows = (tally.counts ?? []).map((c) => ({ label: choiceLabel(t, tally.kind, c.option), count: c.count, share: c.share?.text ?? '—' }));
  if (tally.kind === 'choose' && tally.blank) rows.push({ label: t('ballot.result.blank'), count: tally.blank, share: '' });
  // Present but no vote: part of the base of every share, so the rows add up to 实到.
  const notVoted = tally.present - tally.cast;
  if (tally.kind !== 'choose' && notVoted > 0) rows.push({ label: t('ballot.result.notVoted'), count: notVoted, share: '' });
  return rows;
}

export function resultSheet(t: T, input: SheetInput): ResultSheet {
  const { tally } = input;
  const seal = input.seal ? { short: input.seal.code, head: input.seal.head, count: input.seal.count } : undefined;
  return {
    title: input.title,
    facts: [
      { label: t('ballot.facts.mode'), value: input.secret ? t('ballot.secret') : t('ballot.named') },
      { label: t('ballot.facts.members'), value: tally.members },
      { label: t('ballot.facts.present'), value: tally.present },
      { label: t('ballot.facts.cast'), value: tally.cast },
      { label: t('ballot.facts.quorum'), value: `${t(`ballot.quorum.${input.quorum}`)}（${tally.quorum_met ? t('ballot.result.quorumMet') : t('ballot.result.quorumNotMet')}）` },
      { label: t('ballot.facts.pass'), value: t(`ballot.pass.${input.pass}`) },
    ],
    isScore: tally.kind === 'score',
    columns: tally.kind === 'score'
      ? [t('ballot.result.item'), t('ballot.result.value')]
      : [t('ballot.result.choice'), t('ballot.result.count'), t('ballot.result.share')],
    rows: rowsOf(t, tally),
    verdict: verdictOf(tally),
    verdictText: verdictText(t, tally),
    ...(seal && { seal }),
    closedAt: input.closedAt ?? '',
    ...(input.named && { named: input.named }),
  };
}
