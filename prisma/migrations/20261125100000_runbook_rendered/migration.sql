-- Rendered bodies are stored with the runbook (rendered once per save). This ships with the
-- runbooks table itself, so no runbook predates these columns.
-- AlterTable
ALTER TABLE "runbooks" ADD COLUMN     "html" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "sections" JSONB NOT NULL DEFAULT '[]';


