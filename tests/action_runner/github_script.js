// Runs the `script:` of an actions/github-script step the way github-script
// does (an async function of github, context, core and require), against a
// fake GitHub: the pull request's comments come from FAKE_COMMENTS (a JSON
// array of bodies) and every call is printed as JSON on the last line.
'use strict';

const fs = require('fs');

async function main() {
  const [scriptFile, eventFile] = process.argv.slice(2);
  const calls = [];
  const comments = JSON.parse(process.env.FAKE_COMMENTS || '[]').map((body, i) => ({ id: i + 1, body }));
  const github = {
    paginate: async (method, params) => method(params),
    rest: {
      issues: {
        listComments: async () => comments,
        createComment: async (p) => calls.push({ call: 'create', issue: p.issue_number, body: p.body }),
        updateComment: async (p) => calls.push({ call: 'update', id: p.comment_id, body: p.body }),
      },
    },
  };
  const [owner, repo] = (process.env.GITHUB_REPOSITORY || 'o/r').split('/');
  const context = { repo: { owner, repo }, payload: JSON.parse(fs.readFileSync(eventFile, 'utf8')) };
  const core = { info: () => {}, warning: () => {}, setFailed: (m) => { throw new Error(m); } };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  const run = new AsyncFunction('github', 'context', 'core', 'require', fs.readFileSync(scriptFile, 'utf8'));
  await run(github, context, core, require);
  console.log(JSON.stringify(calls));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
