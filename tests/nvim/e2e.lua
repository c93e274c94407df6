-- End-to-end check of `wslcfg lsp` with a real editor: Neovim 0.7+ run headless.
--
-- Environment: WSLCFG_BIN (the wslcfg binary), WSLCFG_FILE (a .wslconfig to
-- open), WSLCFG_OUT (where to write what the editor received, as JSON).
-- Uses the Neovim 0.7 API (vim.lsp.start_client / buf_attach_client), which
-- newer versions still have. Always quits: 0 when the JSON was written, 1 otherwise.

local out = {}
local function finish(code)
  local ok, encoded = pcall(vim.fn.json_encode, out)
  if not ok then
    encoded = vim.fn.json_encode({ error = 'cannot encode: ' .. tostring(encoded) })
  end
  vim.fn.writefile({ encoded }, os.getenv('WSLCFG_OUT'))
  vim.cmd((code == 0) and 'qall!' or 'cquit 1')
end

local function run()
  out.nvim_version = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor)
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('WSLCFG_FILE')))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'wslcfg',
    cmd = { os.getenv('WSLCFG_BIN'), 'lsp' },
    root_dir = vim.fn.fnamemodify(os.getenv('WSLCFG_FILE'), ':h'),
    init_options = { wslcfg = { hostSet = { 'cpu.logicalProcessors=2' } } },
  })
  if not client_id then
    out.error = 'start_client failed'
    return 1
  end
  vim.lsp.buf_attach_client(bufnr, client_id)

  -- Wait for the published diagnostics.
  local got = vim.wait(60000, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 50)
  out.diagnostics_arrived = got
  out.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data or {}).lsp or {}
    table.insert(out.diagnostics, {
      lnum = d.lnum,
      col = d.col,
      end_col = d.end_col,
      severity = d.severity,
      message = d.message,
      source = d.source,
      code = d.code or lsp.code,
      href = (lsp.codeDescription or {}).href,
    })
  end

  local client = vim.lsp.get_client_by_id(client_id)
  local uri = vim.uri_from_bufnr(bufnr)

  -- Hover on `processors` (line 2, character 3).
  local hover = client.request_sync('textDocument/hover', {
    textDocument = { uri = uri },
    position = { line = 2, character = 3 },
  }, 30000, bufnr)
  out.hover = hover and hover.result or nil
  out.hover_error = hover and hover.err or nil

  -- Completion on the empty line 3 of [wsl2].
  local completion = client.request_sync('textDocument/completion', {
    textDocument = { uri = uri },
    position = { line = 3, character = 0 },
  }, 30000, bufnr)
  local items = completion and completion.result or {}
  if items.items then
    items = items.items
  end
  out.completion = {}
  for _, item in ipairs(items) do
    table.insert(out.completion, item.label)
  end

  -- An edit in the buffer goes to the server (incremental sync): fix the typo.
  vim.api.nvim_buf_set_text(bufnr, 1, 0, 1, 6, { 'memory' })
  local fixed = vim.wait(60000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if (d.code or ((d.user_data or {}).lsp or {}).code) == 'KEY001' then
        return false
      end
    end
    return true
  end, 50)
  out.fixed_after_edit = fixed
  out.diagnostics_after_edit = #vim.diagnostic.get(bufnr)

  vim.lsp.stop_client(client_id)
  vim.wait(10000, function()
    return vim.lsp.get_client_by_id(client_id) == nil
  end, 50)
  out.stopped = vim.lsp.get_client_by_id(client_id) == nil
  return 0
end

local ok, result = pcall(run)
if not ok then
  out.error = tostring(result)
  finish(1)
else
  finish(result)
end
