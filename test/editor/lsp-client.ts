// A minimal LSP client over stdio (Content-Length framing, JSON-RPC 2.0), enough to drive the real
// yaml-language-server the way an editor does: initialize, open a document, ask for completion,
// hover and diagnostics.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { e2eOnly, root } from '../helpers/cli.js';

export interface Position {
  line: number;
  character: number;
}

export interface Diagnostic {
  range: { start: Position; end: Position };
  message: string;
  severity?: number;
  source?: string;
}

interface Message {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

const serverBin = path.join(root, 'node_modules/yaml-language-server/bin/yaml-language-server');

/** What an editor sends as `yaml.*` settings; the schema store is off so nothing touches the network. */
const yamlSettings = {
  validate: true,
  hover: true,
  completion: true,
  format: { enable: false },
  schemaStore: { enable: false },
  schemas: {},
};

export class LspClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly diagnostics = new Map<string, Diagnostic[][]>();
  private readonly diagnosticWaiters: (() => void)[] = [];
  stderr = '';

  constructor() {
    e2eOnly('the language server');
    this.child = spawn(process.execPath, [serverBin, '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.child.on('exit', (code) => {
      for (const { reject } of this.pending.values()) reject(new Error(`yaml-language-server exited (${code}): ${this.stderr}`));
      this.pending.clear();
    });
  }

  async initialize(workspace: string): Promise<unknown> {
    const uri = fileUri(workspace);
    const result = await this.request('initialize', {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: 'flow' }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: {
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: {},
        },
      },
    });
    this.notify('initialized', {});
    this.notify('workspace/didChangeConfiguration', { settings: { yaml: yamlSettings } });
    return result;
  }

  open(file: string, text: string): string {
    const uri = fileUri(file);
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    return uri;
  }

  completion(uri: string, position: Position): Promise<{ items: { label: string; documentation?: unknown }[] }> {
    return this.request('textDocument/completion', { textDocument: { uri }, position }).then((r) =>
      Array.isArray(r) ? { items: r } : (r as { items: { label: string }[] }),
    );
  }

  hover(uri: string, position: Position): Promise<{ contents: unknown } | null> {
    return this.request('textDocument/hover', { textDocument: { uri }, position }) as Promise<{ contents: unknown } | null>;
  }

  /** The first diagnostics published for `uri` that satisfy `accept` (the server re-validates as it loads schemas). */
  async waitForDiagnostics(uri: string, accept: (d: Diagnostic[]) => boolean, timeoutMs = 20_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (this.diagnostics.get(uri) ?? []).find(accept);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no accepted diagnostics for ${uri}; got ${JSON.stringify(this.diagnostics.get(uri) ?? [])}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.diagnosticWaiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  async close(): Promise<void> {
    await this.request('shutdown', null).catch(() => undefined);
    this.notify('exit', null);
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      const timer = setTimeout(() => (this.child.kill(), resolve()), 2000);
      this.child.once('exit', () => (clearTimeout(timer), resolve()));
    });
  }

  request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd === -1) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body) as Message);
    }
  }

  private dispatch(message: Message): void {
    if (message.method === undefined && message.id !== undefined) {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(`${message.error.code}: ${message.error.message}`));
      else waiter?.resolve(message.result);
      return;
    }
    if (message.method === 'textDocument/publishDiagnostics') {
      const { uri, diagnostics } = message.params as { uri: string; diagnostics: Diagnostic[] };
      this.diagnostics.set(uri, [...(this.diagnostics.get(uri) ?? []), diagnostics]);
      for (const wake of this.diagnosticWaiters.splice(0)) wake();
      return;
    }
    // Requests from the server: settings per section, capability registration, progress tokens.
    if (message.id !== undefined) {
      const result = message.method === 'workspace/configuration' ? configuration(message.params) : null;
      this.send({ jsonrpc: '2.0', id: message.id, result });
    }
  }
}

function configuration(params: unknown): unknown[] {
  const items = (params as { items: { section?: string }[] }).items;
  return items.map(({ section }) => (section === 'yaml' ? yamlSettings : {}));
}

export function fileUri(file: string): string {
  return pathToFileURL(path.resolve(file)).href;
}
