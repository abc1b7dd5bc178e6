// The `dsd diff` comment on a pull request: one comment, found by its marker,
// posted when a design changed, updated on later pushes, and, when a push
// leaves no design changed, replaced by a one-line note (no comment is posted
// on a pull request that never changed a design). Called from action.yml's
// github-script step; `node --test action/` tests it with a fake GitHub.
'use strict';

const fs = require('fs');

const MARKER = '<!-- dsd-diff -->';
// GitHub refuses a comment body over 65,536 characters.
const LIMIT = 65536;
const RETIRED = `${MARKER}\n**dsd diff:** this pull request no longer changes a design.\n`;

/** The comment body: the marker, then the Markdown, cut short if it would not fit. */
function body(markdown) {
  const text = `${MARKER}\n${markdown}`;
  const chars = Array.from(text);
  if (chars.length <= LIMIT) {
    return text;
  }
  // dsd keeps the Markdown under the limit (`--max-bytes`); this is a last guard.
  const note = '\n\n**Cut short** to fit a comment: the step summary of this run has all of it.\n';
  return chars.slice(0, LIMIT - note.length).join('') + note;
}

/**
 * Posts, updates or retires the comment. `state` is the diff step's output:
 * `changed`, `unchanged` or `failed` (nothing is touched). Returns what it did.
 */
async function comment({ github, context, core }, { file, state }) {
  if (state !== 'changed' && state !== 'unchanged') {
    core.info(`dsd: no comment (the diff ${state || 'did not run'})`);
    return 'none';
  }
  const { owner, repo } = context.repo;
  const issue_number = context.payload.pull_request.number;
  const comments = await github.paginate(github.rest.issues.listComments, {
    owner,
    repo,
    issue_number,
    per_page: 100,
  });
  const mine = comments.find((c) => typeof c.body === 'string' && c.body.startsWith(MARKER));
  if (state === 'unchanged') {
    if (!mine || mine.body === RETIRED) {
      return 'none';
    }
    await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body: RETIRED });
    return 'retired';
  }
  const text = body(fs.readFileSync(file, 'utf8'));
  if (mine) {
    if (mine.body === text) {
      return 'unchanged';
    }
    await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body: text });
    return 'updated';
  }
  await github.rest.issues.createComment({ owner, repo, issue_number, body: text });
  return 'created';
}

module.exports = comment;
module.exports.body = body;
module.exports.MARKER = MARKER;
module.exports.LIMIT = LIMIT;
module.exports.RETIRED = RETIRED;
