using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShiogamaDx.Bot.Data.Migrations
{
    /// <inheritdoc />
    public partial class Line : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LineInbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WebhookEventId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    UserKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Timestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    IsRedelivery = table.Column<bool>(type: "INTEGER", nullable: false),
                    PayloadJson = table.Column<string>(type: "TEXT", nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RepliesJson = table.Column<string>(type: "TEXT", nullable: true),
                    RetryKey = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReplyTokenUsed = table.Column<bool>(type: "INTEGER", nullable: false),
                    DeliveredBatches = table.Column<int>(type: "INTEGER", nullable: false),
                    ProcessedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LineInbox", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LineUsers",
                columns: table => new
                {
                    UserKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    LineUserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Following = table.Column<bool>(type: "INTEGER", nullable: false),
                    FirstSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LineUsers", x => x.UserKey);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LineInbox_MessageId",
                table: "LineInbox",
                column: "MessageId");

            migrationBuilder.CreateIndex(
                name: "IX_LineInbox_ReceivedAt",
                table: "LineInbox",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_LineInbox_Status_NextAttemptAt_Timestamp",
                table: "LineInbox",
                columns: new[] { "Status", "NextAttemptAt", "Timestamp" });

            migrationBuilder.CreateIndex(
                name: "IX_LineInbox_UserKey",
                table: "LineInbox",
                column: "UserKey");

            migrationBuilder.CreateIndex(
                name: "IX_LineInbox_WebhookEventId",
                table: "LineInbox",
                column: "WebhookEventId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LineInbox");

            migrationBuilder.DropTable(
                name: "LineUsers");
        }
    }
}
