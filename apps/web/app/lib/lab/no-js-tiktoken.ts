// Stands in for js-tiktoken in the browser bundles (see vite.config.ts): the browser counts with gpt-tokenizer,
// core's default backend. Reaching this means something asked core for the js-tiktoken backend in a browser.
const message = 'js-tiktoken is not bundled for the browser: count with the default backend (gpt-tokenizer).'

// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- stands in for js-tiktoken's class, which callers construct
export class Tiktoken {
  constructor() {
    throw new Error(message)
  }
}

export default { pat_str: '', special_tokens: {}, bpe_ranks: '' }
