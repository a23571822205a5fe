-- Faults switched on in the demo fleet: the recorded truth root-cause analysis is scored against.

-- CreateTable
CREATE TABLE "fault_injections" (
    "id" UUID NOT NULL,
    "fleet_fault_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "source" TEXT NOT NULL,
    "actor_label" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fault_injections_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "fault_injections_started_at_idx" ON "fault_injections"("started_at");
