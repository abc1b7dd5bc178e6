// `node --test action/`: the comment logic of action.yml against a fake GitHub.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const test = require('node:test');
const comment = require('./comment.js');

/** A fake of the github-script client: one pull request's comments. */
function fake(existing) {
  const calls = [];
  const comments = existing.map((body, i) => ({ id: i + 1, body }));
  const github = {
    paginate: async (method, params) => method(params),
    rest: {
      issues: {
        listComments: async (params) => {
          calls.push(['list', params.issue_number]);
          return comments;
        },
        createComment: async (params) => calls.push(['create', params.issue_number, params.body]),
        updateComment: async (params) => calls.push(['update', params.comment_id, params.body]),
      },
    },
  };
  const context = { repo: { owner: 'o', repo: 'r' }, payload: { pull_request: { number: 7 } } };
  const core = { info: () => {} };
  return { calls, args: { github, context, core } };
}

function file(text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsd-comment-'));
  const f = path.join(dir, 'comment.md');
  fs.writeFileSync(f, text);
  return f;
}

test('a changed design is posted once, with the marker', async () => {
  const f = fake(['an unrelated comment']);
  const did = await comment(f.args, { file: file('## dsd diff\n'), state: 'changed' });
  assert.equal(did, 'created');
  assert.deepEqual(f.calls, [['list', 7], ['create', 7, `${comment.MARKER}\n## dsd diff\n`]]);
});

test('a later push updates the same comment', async () => {
  const f = fake(['hello', `${comment.MARKER}\nold`]);
  const did = await comment(f.args, { file: file('new\n'), state: 'changed' });
  assert.equal(did, 'updated');
  assert.deepEqual(f.calls.at(-1), ['update', 2, `${comment.MARKER}\nnew\n`]);
  const again = fake([`${comment.MARKER}\nnew\n`]);
  assert.equal(await comment(again.args, { file: file('new\n'), state: 'changed' }), 'unchanged');
  assert.equal(again.calls.length, 1);
});

test('no design changed: nothing is posted, an old comment becomes one line', async () => {
  const none = fake(['hello']);
  assert.equal(await comment(none.args, { file: file('x'), state: 'unchanged' }), 'none');
  assert.deepEqual(none.calls, [['list', 7]]);
  const old = fake([`${comment.MARKER}\n## dsd diff\n| big table |`]);
  assert.equal(await comment(old.args, { file: file('x'), state: 'unchanged' }), 'retired');
  assert.deepEqual(old.calls.at(-1), ['update', 1, comment.RETIRED]);
  assert.equal(comment.RETIRED.trim().split('\n').length, 2, 'the marker and one line');
  const retired = fake([comment.RETIRED]);
  assert.equal(await comment(retired.args, { file: file('x'), state: 'unchanged' }), 'none');
});

test('a failed diff touches nothing', async () => {
  const f = fake([`${comment.MARKER}\nold`]);
  assert.equal(await comment(f.args, { file: file('x'), state: 'failed' }), 'none');
  assert.equal(await comment(f.args, { file: file('x'), state: '' }), 'none');
  assert.deepEqual(f.calls, []);
});

test('a body over the limit is cut to fit, with a note', () => {
  const long = 'é'.repeat(comment.LIMIT + 10);
  const b = comment.body(long);
  assert.ok(Array.from(b).length <= comment.LIMIT);
  assert.ok(b.startsWith(comment.MARKER));
  assert.ok(b.includes('Cut short'));
  assert.equal(comment.body('short'), `${comment.MARKER}\nshort`);
});
