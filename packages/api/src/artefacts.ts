import { createStorage, type Storage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import memoryDriver from 'unstorage/drivers/memory'

/** Where generated reports and usage archives are kept (unstorage: fs by default, memory in tests). */
export interface ArtefactStore {
  put(key: string, bytes: Buffer): Promise<void>
  get(key: string): Promise<Buffer | null>
  remove(key: string): Promise<void>
}

export function createArtefactStore(options: { kind: 'fs'; dir: string } | { kind: 'memory' }): ArtefactStore {
  const storage: Storage = createStorage({
    driver: options.kind === 'fs' ? fsDriver({ base: options.dir }) : memoryDriver(),
  })
  return {
    async put(key, bytes) {
      await storage.setItemRaw(key, bytes)
    },
    async get(key) {
      const value = await storage.getItemRaw<Buffer | Uint8Array | null>(key)
      if (value == null) return null
      return Buffer.isBuffer(value) ? value : Buffer.from(value)
    },
    async remove(key) {
      await storage.removeItem(key)
    },
  }
}
