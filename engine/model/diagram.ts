// diagram.ts: a workflow's diagram as a page shows it: the picture and its text alternative.

export interface DiagramModel {
  /** SVG markup produced by the engine from the definition, current state highlighted. Safe: built from escaped text. */
  svg: string;
  /** Text alternative: the states in order with the current marked. */
  steps: { name: string; title: string; isCurrent: boolean; isVisited: boolean; isFinal: boolean }[];
}
