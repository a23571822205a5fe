-- AlterTable
ALTER TABLE "notifications" ADD COLUMN     "lease_token" UUID;
