import { statSync, writeFileSync } from 'node:fs';

/** Writes a text file (UTF-8), replacing it; throws the system's error when it cannot. */
export function writeTextFile(path: string, text: string): void {
  writeFileSync(path, text);
}

/** Whether the path names a directory (following links); false when it names nothing. */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Whether the path names a regular file (following links); false when it names nothing. */
export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
