// Starts `dsd lsp` for .dsd files: diagnostics, hover, definition, references,
// rename, completion, outline, formatting and quick fixes come from the server.
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const command = vscode.workspace.getConfiguration("dsd").get<string>("path", "dsd");
  const serverOptions: ServerOptions = { command, args: ["lsp"] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "dsd" }],
  };
  client = new LanguageClient("dsd", "dsd language server", serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => void client?.stop() });
  void client.start();
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
