-- Rendered bodies are stored with the runbook (rendered once per save). Rows saved before this
-- have html = '' and are rendered when read until their next save.
-- AlterTable
ALTER TABLE "runbooks" ADD COLUMN     "html" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "sections" JSONB NOT NULL DEFAULT '[]';


