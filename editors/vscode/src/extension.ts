// Starts `dsd lsp` for .dsd files: diagnostics, hover, definition, references,
// rename, completion, outline, formatting and quick fixes come from the server.
// Changing a dsd.* setting the extension reads (dsd.path) restarts the server
// with the new value; no window reload is needed.
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";

/** The settings the client is started with; a change to any of them restarts it. */
interface ServerSettings {
  path: string;
}

let client: LanguageClient | undefined;
let running: ServerSettings | undefined;
let output: vscode.OutputChannel | undefined;
// Starts and stops run one after another, so a setting changed while the
// server is still starting never stops a half-started client.
let queue: Promise<void> = Promise.resolve();

function readSettings(): ServerSettings {
  const config = vscode.workspace.getConfiguration("dsd");
  return { path: config.get<string>("path", "dsd").trim() || "dsd" };
}

function sameSettings(a: ServerSettings | undefined, b: ServerSettings): boolean {
  return a !== undefined && a.path === b.path;
}

async function startClient(settings: ServerSettings): Promise<void> {
  const serverOptions: ServerOptions = { command: settings.path, args: ["lsp"] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "dsd" }],
    // One channel for every client this session starts, so restarts do not
    // pile up "dsd language server" entries in the Output view.
    outputChannel: output,
  };
  const next = new LanguageClient("dsd", "dsd language server", serverOptions, clientOptions);
  client = next;
  running = settings;
  try {
    await next.start();
  } catch {
    // The client has already reported the failure (for example, no such
    // executable) in a notification and in its output channel. Fixing dsd.path
    // restarts it.
  }
}

async function stopClient(): Promise<void> {
  const previous = client;
  client = undefined;
  running = undefined;
  if (previous === undefined) {
    return;
  }
  try {
    await previous.dispose();
  } catch {
    // A client that never started cannot be stopped; there is nothing to clean up.
  }
}

function enqueue(step: () => Promise<void>): Promise<void> {
  queue = queue.then(step, step);
  return queue;
}

/**
 * The standard library's files, read-only: definition of a stdlib tool, role or
 * noun answers a `dsd-stdlib:///FILE` URI, and the server's `dsd/stdlib` request
 * gives its text. A document whose provider is not a file system cannot be
 * edited, so the stdlib opens read-only by nature.
 */
const stdlibDocuments: vscode.TextDocumentContentProvider = {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    if (client === undefined) {
      return "// the dsd language server is not running: start it to read the standard library\n";
    }
    const answer = await client.sendRequest<{ text: string }>("dsd/stdlib", { uri: uri.toString() });
    return answer.text;
  },
};

export function activate(context: vscode.ExtensionContext): void {
  // Disposed in order: the client stops before its output channel goes away.
  context.subscriptions.push({ dispose: () => void enqueue(stopClient) });
  output = vscode.window.createOutputChannel("dsd language server");
  context.subscriptions.push(output);
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider("dsd-stdlib", stdlibDocuments));
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration("dsd")) {
        return;
      }
      void enqueue(async () => {
        const settings = readSettings();
        if (sameSettings(running, settings)) {
          return;
        }
        output?.appendLine(`dsd settings changed; restarting the language server with ${settings.path}`);
        await stopClient();
        await startClient(settings);
      });
    }),
  );
  void enqueue(() => startClient(readSettings()));
}

export function deactivate(): Thenable<void> {
  return enqueue(stopClient);
}
