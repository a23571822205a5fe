-- CreateTable
CREATE TABLE "runbooks" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "owner_team" TEXT NOT NULL,
    "tags" TEXT[],
    "services" TEXT[],
    "rule_kinds" TEXT[],
    "body" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "runbooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runbook_revisions" (
    "id" BIGSERIAL NOT NULL,
    "runbook_id" UUID NOT NULL,
    "revision" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "owner_team" TEXT NOT NULL,
    "tags" TEXT[],
    "services" TEXT[],
    "rule_kinds" TEXT[],
    "body" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "restored_from" INTEGER,
    "author_type" "ActorType" NOT NULL,
    "author_id" TEXT,
    "author_label" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "runbook_revisions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "runbooks_slug_key" ON "runbooks"("slug");

-- CreateIndex
CREATE INDEX "runbooks_services_idx" ON "runbooks" USING GIN ("services");

-- CreateIndex
CREATE INDEX "runbooks_rule_kinds_idx" ON "runbooks" USING GIN ("rule_kinds");

-- CreateIndex
CREATE INDEX "runbooks_tags_idx" ON "runbooks" USING GIN ("tags");

-- CreateIndex
CREATE UNIQUE INDEX "runbook_revisions_runbook_id_revision_key" ON "runbook_revisions"("runbook_id", "revision");

-- AddForeignKey
ALTER TABLE "runbook_revisions" ADD CONSTRAINT "runbook_revisions_runbook_id_fkey" FOREIGN KEY ("runbook_id") REFERENCES "runbooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Full-text search over titles (weight A), tags (B) and bodies (C). array_to_string is only
-- STABLE, so an IMMUTABLE wrapper makes the expression indexable; Prisma has no expression indexes,
-- so this index lives here alone (the drift check ignores it).
CREATE FUNCTION runbook_search_vector(title text, tags text[], body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT setweight(to_tsvector('english'::regconfig, title), 'A')
              || setweight(to_tsvector('english'::regconfig, array_to_string(tags, ' ')), 'B')
              || setweight(to_tsvector('english'::regconfig, body), 'C') $$;

CREATE INDEX "runbooks_search_idx" ON "runbooks" USING GIN (runbook_search_vector("title", "tags", "body"));
