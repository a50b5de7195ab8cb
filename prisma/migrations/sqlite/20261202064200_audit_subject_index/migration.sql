-- CreateIndex
CREATE INDEX "AuditEvent_subject_createdAt_idx" ON "AuditEvent"("subject", "createdAt");
