import { createContext, useContext, type ReactNode } from 'react'

// The Content-Security-Policy nonce of this response (server.ts makes one per request). Remix's inline
// scripts carry it; in the browser it is empty (the scripts already ran).
const NonceContext = createContext('')

export function NonceProvider({ nonce, children }: { nonce: string; children: ReactNode }) {
  return <NonceContext.Provider value={nonce}>{children}</NonceContext.Provider>
}

export const useNonce = () => useContext(NonceContext)
