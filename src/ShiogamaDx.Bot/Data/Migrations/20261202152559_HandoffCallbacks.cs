using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShiogamaDx.Bot.Data.Migrations
{
    /// <inheritdoc />
    public partial class HandoffCallbacks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CallbackDoneAt",
                table: "Handoffs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CallbackPhone",
                table: "Handoffs",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResidentChannel",
                table: "Handoffs",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StaffChannel",
                table: "Handoffs",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Topic",
                table: "Handoffs",
                type: "TEXT",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CallbackDoneAt",
                table: "Handoffs");

            migrationBuilder.DropColumn(
                name: "CallbackPhone",
                table: "Handoffs");

            migrationBuilder.DropColumn(
                name: "ResidentChannel",
                table: "Handoffs");

            migrationBuilder.DropColumn(
                name: "StaffChannel",
                table: "Handoffs");

            migrationBuilder.DropColumn(
                name: "Topic",
                table: "Handoffs");
        }
    }
}
