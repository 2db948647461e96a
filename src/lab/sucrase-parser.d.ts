// Types for the two sucrase internals module-script.ts uses: its parser (the same one
// `transform` runs) and its token types. sucrase ships no types for these deep paths.
declare module 'sucrase/dist/esm/parser/index.js' {
  export interface SucraseToken {
    type: number;
    start: number;
    end: number;
    /** 2 = top-level declaration, 5 = object-shorthand top-level declaration, 9 = import binding, 11 = imported name. */
    identifierRole: number | null;
    /** On `export` tokens: the index of the first token after the export statement. */
    rhsEndIndex: number | null;
  }
  export function parse(input: string, jsx: boolean, typescript: boolean, flow: boolean): { tokens: SucraseToken[] };
}

declare module 'sucrase/dist/esm/parser/tokenizer/types.js' {
  export const TokenType: { readonly [name: string]: number };
}
