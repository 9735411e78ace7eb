using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShiogamaDx.Bot.Data.Migrations
{
    /// <inheritdoc />
    public partial class DisasterMode : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DisasterNoticeReceipts",
                columns: table => new
                {
                    UserKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    PeriodId = table.Column<long>(type: "INTEGER", nullable: false),
                    NoticeVersion = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DisasterNoticeReceipts", x => x.UserKey);
                });

            migrationBuilder.CreateTable(
                name: "DisasterPeriods",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    StartedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    StartedVia = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    EndedVia = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Open = table.Column<int>(type: "INTEGER", nullable: true),
                    DisasterMenuShown = table.Column<bool>(type: "INTEGER", nullable: false),
                    MenuRetry = table.Column<bool>(type: "INTEGER", nullable: false),
                    PreviousMenu = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    MenuProblem = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DisasterPeriods", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DisasterPeriods_Open",
                table: "DisasterPeriods",
                column: "Open",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DisasterNoticeReceipts");

            migrationBuilder.DropTable(
                name: "DisasterPeriods");
        }
    }
}
